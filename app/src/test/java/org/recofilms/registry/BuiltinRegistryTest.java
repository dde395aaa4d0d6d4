package org.recofilms.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.recofilms.local.RealServicesResource;

/** The registry contract against the built-in registry on the real PostgreSQL. */
@QuarkusTest
@WithTestResource(RealServicesResource.class)
class BuiltinRegistryTest extends ModelRegistryContract {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Override
    protected ModelRegistry registry() {
        return new BuiltinRegistry(dataSource, json);
    }
}
