package org.recofilms.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;
import org.recofilms.platform.RecoConfig;

/** Chooses the registry: MLflow when a tracking URI is configured, else the built-in one. */
@ApplicationScoped
public class RegistryProducer {

    private static final Logger LOG = Logger.getLogger(RegistryProducer.class);

    @Produces
    @ApplicationScoped
    ModelRegistry registry(RecoConfig config, AgroalDataSource dataSource, ObjectMapper json) {
        return config.mlflow()
                .trackingUri()
                .filter(uri -> !uri.isBlank())
                .<ModelRegistry>map(uri -> {
                    LOG.infof("model registry: MLflow at %s", uri);
                    return new MlflowRegistry(uri);
                })
                .orElseGet(() -> {
                    LOG.info("model registry: built-in (PostgreSQL); set reco.mlflow.tracking-uri for MLflow");
                    return new BuiltinRegistry(dataSource, json);
                });
    }
}
