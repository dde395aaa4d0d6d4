package org.recofilms.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Every setting of reco-films, under the prefix {@code reco}. Connection settings live in Quarkus's own keys. */
@ConfigMapping(prefix = "reco")
public interface RecoConfig {

    /** Where datasets, snapshots and artifacts are kept on disk. */
    Data data();

    /** MLflow tracking and registry. */
    Mlflow mlflow();

    /** Who may trigger pipelines and promote models. */
    Security security();

    /** Readiness of the parts the app depends on. */
    Readiness readiness();

    interface Data {
        /** Root folder for raw data, snapshots and model artifacts (versioned by DVC, ignored by git). */
        @WithDefault("data")
        String dir();
    }

    interface Mlflow {
        /** MLflow tracking URI (http or https); when absent the built-in PostgreSQL registry is used. */
        Optional<String> trackingUri();
    }

    interface Security {
        /** API key that operator endpoints expect in the X-API-Key header; when absent they are closed. */
        Optional<String> operatorApiKey();
    }

    interface Readiness {
        /** How long one readiness probe of PostgreSQL or Kafka may take before it counts as down. */
        @WithDefault("2s")
        Duration timeout();
    }
}
