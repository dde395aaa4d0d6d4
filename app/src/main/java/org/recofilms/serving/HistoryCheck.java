package org.recofilms.serving;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.recofilms.platform.CheckResult;
import org.recofilms.platform.ComponentCheck;

/** The user histories part of readiness: not ready until the first load of the histories into memory finished. */
@ApplicationScoped
public class HistoryCheck implements ComponentCheck {

    private final HistoryService histories;

    public HistoryCheck(HistoryService histories) {
        this.histories = histories;
    }

    @Override
    public String name() {
        return "histories";
    }

    @Override
    public Uni<CheckResult> check() {
        String status = histories.status();
        boolean disabled = status.startsWith("disabled");
        String phase = disabled ? "disabled" : histories.loaded() ? "loaded" : "loading";
        return Uni.createFrom().item(new CheckResult(phase, disabled || histories.loaded(), status));
    }
}
