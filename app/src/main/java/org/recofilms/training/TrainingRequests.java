package org.recofilms.training;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.recofilms.platform.BadRequestException;
import org.recofilms.platform.RecoConfig;

/**
 * Reads and validates training requests, from a JSON body (REST) or from text parameters (a pipeline run's
 * params, the {@code train} command's options): the family ({@code reco.training.family} when absent), then
 * the family's own parameters, each checked by Bean Validation. Every refusal is a {@link BadRequestException}
 * whose message names the parameter: an unknown family lists the families, an unknown parameter lists the
 * family's parameters.
 */
@ApplicationScoped
public class TrainingRequests {

    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private final Validator validator;
    private final RecoConfig config;

    public TrainingRequests(Validator validator, RecoConfig config) {
        this.validator = validator;
        this.config = config;
    }

    /** A request from a JSON body: an object of numbers, strings and booleans; null or absent means defaults. */
    public TrainingRequest parse(JsonNode body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body != null && !body.isMissingNode()) {
            if (!body.isObject()) {
                throw new BadRequestException("body must be a JSON object: family and its parameters");
            }
            for (var it = body.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode v = e.getValue();
                if (!(v.isNumber() || v.isTextual() || v.isBoolean())) {
                    throw new BadRequestException(
                            "parameter '" + e.getKey() + "' must be a number, a string or a boolean");
                }
                params.put(e.getKey(), v.asText());
            }
        }
        return parse(params);
    }

    /** A request from text parameters: {@code family} and the family's parameters. */
    public TrainingRequest parse(Map<String, String> params) {
        String familyId = params.getOrDefault("family", config.training().family());
        ModelFamily family = ModelFamily.parse(familyId);
        ObjectNode node = READER.createObjectNode();
        params.forEach((k, v) -> {
            if (!k.equals("family")) {
                if (v == null || v.isBlank()) {
                    throw new BadRequestException("parameter '" + k + "' is empty");
                }
                node.put(k, v.strip());
            }
        });
        TrainingRequest request;
        try {
            request = READER.treeToValue(node, type(family));
        } catch (UnrecognizedPropertyException e) {
            throw new BadRequestException("unknown parameter '" + e.getPropertyName() + "' for family " + family.id()
                    + "; parameters: " + String.join(", ", accepted(family)));
        } catch (InvalidFormatException e) {
            String name = e.getPath().isEmpty() ? "?" : e.getPath().get(0).getFieldName();
            throw new BadRequestException(
                    name + ": must be " + kind(e.getTargetType()) + ", got '" + e.getValue() + "'");
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new BadRequestException("parameters of family " + family.id() + " not readable: " + e.getMessage());
        }
        Set<ConstraintViolation<TrainingRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new BadRequestException(violations.stream()
                    .map(v -> snake(v.getPropertyPath().toString()) + ": " + v.getMessage())
                    .sorted()
                    .collect(Collectors.joining("; ")));
        }
        try {
            request.resolve(config.training());
        } catch (IllegalArgumentException e) {
            // what Bean Validation cannot say of a text value: NaN, Infinity
            throw new BadRequestException("parameters of family " + family.id() + ": " + e.getMessage());
        }
        return request;
    }

    /** The model a request trains, over the configured defaults. */
    public ModelSpec resolve(TrainingRequest request) {
        return request.resolve(config.training());
    }

    /** The configured default: {@code reco.training.family} with its configured parameters. */
    public TrainingRequest defaults() {
        return parse(Map.of());
    }

    /** The parameter names of a family, as the wire names them. */
    public static Set<String> accepted(ModelFamily family) {
        try {
            return READER.treeToValue(READER.createObjectNode(), type(family))
                    .given()
                    .keySet();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<? extends TrainingRequest> type(ModelFamily family) {
        return switch (family) {
            case ITEMKNN -> TrainingRequest.ItemKnn.class;
            case RP3BETA -> TrainingRequest.Rp3Beta.class;
            case EASE -> TrainingRequest.Ease.class;
            case IALS -> TrainingRequest.Ials.class;
        };
    }

    private static String kind(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a number";
    }

    /** {@code topK} as {@code top_k}. */
    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
