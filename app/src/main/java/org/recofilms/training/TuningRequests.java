package org.recofilms.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.recofilms.platform.BadRequestException;
import org.recofilms.platform.RecoConfig;

/**
 * Reads and checks tuning requests, from a JSON body ({@code {"family":"ease","strategy":"random","trials":8,
 * "seed":42,"space":{"l2":{"min":10,"max":1000}},"params":{"top_k":100}}}) or from a pipeline run's text
 * parameters ({@link #asParams}: the same, {@code space} as JSON text, the fixed parameters flat). Every trial is
 * checked here, through {@link TrainingRequests} as a training request (the fixed parameters plus the trial's), so
 * a search that could fail half-way is refused at once. Every refusal is a {@link BadRequestException} naming the
 * field.
 */
@ApplicationScoped
public class TuningRequests {

    /** Hard bound of {@code reco.tuning.max-trials}. */
    public static final int TRIALS_LIMIT = 100;

    private static final Set<String> BODY_FIELDS = Set.of("family", "strategy", "trials", "seed", "space", "params");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainingRequests trainingRequests;
    private final RecoConfig config;

    public TuningRequests(TrainingRequests trainingRequests, RecoConfig config) {
        this.trainingRequests = trainingRequests;
        this.config = config;
    }

    /** Most trials a run may ask for. */
    public int maxTrials() {
        return Math.max(1, Math.min(TRIALS_LIMIT, config.tuning().maxTrials()));
    }

    /** A request from a JSON body; null means every default (the configured family, its default space). */
    public TuningRequest parse(JsonNode body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body != null && !body.isMissingNode()) {
            if (!body.isObject()) {
                throw new BadRequestException(
                        "body must be a JSON object: family, strategy, trials, seed, space, params");
            }
            for (var it = body.fields(); it.hasNext(); ) {
                var e = it.next();
                String name = e.getKey();
                JsonNode v = e.getValue();
                if (!BODY_FIELDS.contains(name)) {
                    throw new BadRequestException(
                            "unknown field '" + name + "'; fields: family, strategy, trials," + " seed, space, params");
                }
                switch (name) {
                    case "space" -> {
                        if (!v.isObject()) {
                            throw new BadRequestException("space: must be an object of parameter name to"
                                    + " {min, max, log?, integer?} or a list of values");
                        }
                        params.put(TuningRequest.SPACE, v.toString());
                    }
                    case "params" -> {
                        if (!v.isObject()) {
                            throw new BadRequestException("params: must be an object of fixed training parameters");
                        }
                        for (var p = v.fields(); p.hasNext(); ) {
                            var f = p.next();
                            if (!(f.getValue().isNumber()
                                    || f.getValue().isTextual()
                                    || f.getValue().isBoolean())) {
                                throw new BadRequestException(
                                        "params." + f.getKey() + ": must be a number, a string or a boolean");
                            }
                            if (BODY_FIELDS.contains(f.getKey())) {
                                throw new BadRequestException("params." + f.getKey() + ": not a training parameter");
                            }
                            params.put(f.getKey(), f.getValue().asText());
                        }
                    }
                    default -> {
                        if (!(v.isNumber() || v.isTextual())) {
                            throw new BadRequestException(name + ": must be a number or a string");
                        }
                        params.put(name, v.asText());
                    }
                }
            }
        }
        return parse(params);
    }

    /**
     * A request from text parameters: {@code family}, {@code strategy}, {@code trials}, {@code seed}, {@code space}
     * (JSON text), and the fixed training parameters under their own names.
     */
    public TuningRequest parse(Map<String, String> params) {
        ModelFamily family = ModelFamily.parse(
                params.getOrDefault(TuningRequest.FAMILY, config.training().family()));
        SearchSpace.Strategy strategy = strategy(params.getOrDefault(TuningRequest.STRATEGY, "random"));
        int trials = (int) integer(TuningRequest.TRIALS, params.getOrDefault(TuningRequest.TRIALS, "10"));
        if (trials < 1 || trials > maxTrials()) {
            throw new BadRequestException("trials: must be between 1 and " + maxTrials() + ", got " + trials);
        }
        long seed = integer(TuningRequest.SEED, params.getOrDefault(TuningRequest.SEED, "42"));
        Map<String, Object> space = space(params.get(TuningRequest.SPACE));
        Map<String, String> fixed = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (!Set.of(
                            TuningRequest.FAMILY,
                            TuningRequest.STRATEGY,
                            TuningRequest.TRIALS,
                            TuningRequest.SEED,
                            TuningRequest.SPACE)
                    .contains(k)) {
                fixed.put(k, v);
            }
        });
        TuningRequest request = new TuningRequest(family, strategy, trials, seed, space, fixed);
        List<Map<String, Object>> trialParams;
        try {
            SearchSpace searched = request.searchSpace();
            for (SearchSpace.Dimension d : searched.dimensions()) {
                if (fixed.containsKey(d.name())) {
                    throw new BadRequestException(
                            "params." + d.name() + ": searched by the space; give it in one of space and params");
                }
            }
            trialParams = request.trialParams();
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("space: " + e.getMessage());
        }
        // the fixed parameters alone, then each trial, as the training requests they become
        trainingRequests.parse(request.trainingParams(Map.of()));
        for (Map<String, Object> trial : trialParams) {
            try {
                trainingRequests.parse(request.trainingParams(trial));
            } catch (BadRequestException e) {
                throw new BadRequestException(
                        "space: a trial " + trial + " is not a valid training request: " + e.getMessage());
            }
        }
        return request;
    }

    /** The validated training requests of the trials, in order. */
    public List<TrainingRequest> trialRequests(TuningRequest request) {
        List<TrainingRequest> out = new ArrayList<>();
        for (Map<String, Object> trial : request.trialParams()) {
            out.add(trainingRequests.parse(request.trainingParams(trial)));
        }
        return out;
    }

    /** The request as a pipeline run carries and stores it. */
    public Map<String, String> asParams(TuningRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(TuningRequest.FAMILY, request.family().id());
        out.put(TuningRequest.STRATEGY, request.strategy().name().toLowerCase(Locale.ROOT));
        out.put(TuningRequest.TRIALS, Integer.toString(request.trials()));
        out.put(TuningRequest.SEED, Long.toString(request.seed()));
        out.put(TuningRequest.SPACE, spaceText(request.space()));
        out.putAll(request.fixed());
        return out;
    }

    /** The given space as JSON text, keys sorted. */
    public static String spaceText(Map<String, Object> space) {
        try {
            return JSON.writeValueAsString(new java.util.TreeMap<>(space));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SearchSpace.Strategy strategy(String text) {
        for (SearchSpace.Strategy s : SearchSpace.Strategy.values()) {
            if (s.name().equalsIgnoreCase(text.strip())) {
                return s;
            }
        }
        throw new BadRequestException("strategy: one of grid, random, got '" + text + "'");
    }

    private static long integer(String name, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + ": must be an integer, got '" + text + "'");
        }
    }

    private static Map<String, Object> space(String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> space = JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
            return space == null ? Map.of() : space;
        } catch (JsonProcessingException e) {
            throw new BadRequestException("space: must be a JSON object, got '" + text + "'");
        }
    }
}
