package org.recofilms.platform;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The outcome of one component check. {@code status} is "up" or "down", or a component-specific
 * word (the model says "serving", "fallback" or "loading"); {@code up} decides readiness.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(String status, boolean up, String detail) {

    public static CheckResult up(String detail) {
        return new CheckResult("up", true, detail);
    }

    public static CheckResult down(String detail) {
        return new CheckResult("down", false, detail);
    }
}
