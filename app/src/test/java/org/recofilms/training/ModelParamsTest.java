package org.recofilms.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ModelParamsTest {

    @Test
    void invalidParametersAreRejectedWithTheirName() {
        List<Object[]> cases = List.of(
                new Object[] {
                    "alpha", (Supplier<?>) () -> Rp3BetaParams.defaults().withAlpha(0)
                },
                new Object[] {
                    "beta", (Supplier<?>) () -> Rp3BetaParams.defaults().withBeta(-0.1)
                },
                new Object[] {
                    "topK", (Supplier<?>) () -> Rp3BetaParams.defaults().withTopK(0)
                },
                new Object[] {
                    "minRatings", (Supplier<?>) () -> Rp3BetaParams.defaults().withMinRatings(-1)
                },
                new Object[] {
                    "positiveThreshold",
                    (Supplier<?>) () -> Rp3BetaParams.defaults().withPositiveThreshold(Float.NaN)
                },
                new Object[] {"l2", (Supplier<?>) () -> EaseParams.defaults().withL2(0)},
                new Object[] {"l2", (Supplier<?>) () -> EaseParams.defaults().withL2(Double.POSITIVE_INFINITY)},
                new Object[] {"topK", (Supplier<?>) () -> EaseParams.defaults().withTopK(0)},
                new Object[] {
                    "parallelism", (Supplier<?>) () -> EaseParams.defaults().withParallelism(-2)
                },
                new Object[] {
                    "factors", (Supplier<?>) () -> IalsParams.defaults().withFactors(0)
                },
                new Object[] {
                    "regularization", (Supplier<?>) () -> IalsParams.defaults().withRegularization(-1)
                },
                new Object[] {
                    "unobservedWeight",
                    (Supplier<?>) () -> IalsParams.defaults().withUnobservedWeight(0)
                },
                new Object[] {"alpha", (Supplier<?>) () -> IalsParams.defaults().withAlpha(Double.NaN)},
                new Object[] {
                    "iterations", (Supplier<?>) () -> IalsParams.defaults().withIterations(-1)
                },
                new Object[] {
                    "cgSteps", (Supplier<?>) () -> IalsParams.defaults().withCgSteps(-1)
                });
        for (Object[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ((Supplier<?>) c[1]).get());
            assertTrue(e.getMessage().startsWith((String) c[0]), e.getMessage());
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals(new Rp3BetaParams(1.0, 0.6, 100, 1, 0f, false, 0), Rp3BetaParams.defaults());
        assertEquals(new EaseParams(500, 100, 50, 0f, 0), EaseParams.defaults());
        assertEquals(new IalsParams(64, 0.1, 1.0, 10.0, 15, 3, 1, 0f, 42, 0), IalsParams.defaults());
    }
}
