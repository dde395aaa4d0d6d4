package org.recofilms.serving;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.recofilms.catalog.MovieCatalog;
import org.recofilms.platform.CheckResult;
import org.recofilms.platform.ComponentCheck;

/**
 * The model part of readiness: not ready while the production model or the movie catalogue loads
 * at start; ready with the popularity fallback when there is no production model, and /ready says so.
 */
@ApplicationScoped
public class ModelCheck implements ComponentCheck {

    private final ModelState state;
    private final MovieCatalog catalog;

    public ModelCheck(ModelState state, MovieCatalog catalog) {
        this.state = state;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "model";
    }

    @Override
    public Uni<CheckResult> check() {
        ModelState.Snapshot s = state.current();
        if (!catalog.loaded()) {
            return Uni.createFrom().item(new CheckResult("loading", false, "loading the movie catalogue"));
        }
        String detail = s.version().map(v -> "version " + v + ": ").orElse("") + s.detail();
        return Uni.createFrom()
                .item(new CheckResult(s.phase().name().toLowerCase(), s.phase() != ModelState.Phase.LOADING, detail));
    }
}
