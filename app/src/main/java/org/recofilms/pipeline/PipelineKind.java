package org.recofilms.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.recofilms.platform.BadRequestException;

/**
 * The pipelines a request can ask for, with their steps and the parameters they accept. Names are
 * lower-case on the wire (REST paths, Kafka keys and records, the database).
 */
public enum PipelineKind {
    INGESTION(List.of(Step.INGESTION, Step.QUALITY_CHECKS), Set.of("source")),
    TRAINING(List.of(Step.SNAPSHOT, Step.TRAINING, Step.PROMOTION), Set.of()),
    DAILY(
            List.of(
                    Step.INGESTION,
                    Step.QUALITY_CHECKS,
                    Step.DATA_MONITORING,
                    Step.SNAPSHOT,
                    Step.TRAINING,
                    Step.PROMOTION),
            Set.of("source")),
    MONITORING(List.of(Step.DATA_MONITORING), Set.of("day", "backfill")),
    TUNING(List.of(Step.SNAPSHOT, Step.TUNING, Step.TRAINING, Step.PROMOTION), Set.of());

    /** A step of a pipeline; a failed blocking step stops the chain, a non-blocking one does not. */
    public enum Step {
        INGESTION(true),
        QUALITY_CHECKS(true),
        DATA_MONITORING(false),
        SNAPSHOT(true),
        TUNING(true),
        TRAINING(true),
        PROMOTION(true);

        private final boolean blocking;

        Step(boolean blocking) {
            this.blocking = blocking;
        }

        public boolean blocking() {
            return blocking;
        }

        public String id() {
            return name().toLowerCase();
        }
    }

    private final List<Step> steps;
    private final Set<String> params;

    PipelineKind(List<Step> steps, Set<String> params) {
        this.steps = steps;
        this.params = params;
    }

    public String id() {
        return name().toLowerCase();
    }

    public List<Step> steps() {
        return steps;
    }

    public Set<String> params() {
        return params;
    }

    /**
     * Kinds that may not be active while a run of this one is: a daily run ingests and trains, so it
     * excludes ingestion and training runs; a monitoring run holds read locks on the ratings for
     * minutes at ML-20M scale, which an ingestion's swap would wait for until it gives up, so
     * monitoring and ingestion (or daily) runs exclude each other; a tuning run trains, so it excludes training and
     * daily runs; each kind excludes itself.
     */
    public Set<PipelineKind> conflicts() {
        return switch (this) {
            case INGESTION -> Set.of(INGESTION, DAILY, MONITORING);
            case TRAINING -> Set.of(TRAINING, DAILY, TUNING);
            case DAILY -> Set.of(DAILY, INGESTION, TRAINING, MONITORING, TUNING);
            case MONITORING -> Set.of(MONITORING, INGESTION, DAILY);
            case TUNING -> Set.of(TUNING, TRAINING, DAILY);
        };
    }

    public static Optional<PipelineKind> find(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst();
    }

    /** The kind named {@code id}, or a 400 listing the kinds. */
    public static PipelineKind parse(String id) {
        return find(id).orElseThrow(() -> new BadRequestException("unknown pipeline kind '" + id + "'; kinds: "
                + Arrays.stream(values()).map(PipelineKind::id).collect(Collectors.joining(", "))));
    }

    /**
     * True when the run's params are a training request (family and its parameters), which
     * {@code TrainingRequests} checks: {@link #checkParams} leaves them to it.
     */
    public boolean takesTrainingRequest() {
        return this == TRAINING;
    }

    /**
     * True when the run's params are a tuning request (family, strategy, trials, seed, space and fixed training
     * parameters), which {@code TuningRequests} checks: {@link #checkParams} leaves them to it.
     */
    public boolean takesTuningRequest() {
        return this == TUNING;
    }

    /** Null when {@code params} suit this kind, else what is wrong with them. */
    public String checkParams(java.util.Map<String, String> given) {
        if (takesTrainingRequest() || takesTuningRequest()) {
            return null;
        }
        for (var e : given.entrySet()) {
            if (!params.contains(e.getKey())) {
                return "unknown parameter '" + e.getKey() + "' for a " + id() + " run; accepted: "
                        + (params.isEmpty() ? "none" : String.join(", ", params));
            }
            if (e.getValue() == null || e.getValue().isBlank()) {
                return "parameter '" + e.getKey() + "' is empty";
            }
            if (e.getKey().equals("backfill") && !e.getValue().matches("true|false")) {
                return "parameter 'backfill' must be true or false, got '" + e.getValue() + "'";
            }
            if (e.getKey().equals("day")) {
                try {
                    java.time.LocalDate.parse(e.getValue());
                } catch (java.time.format.DateTimeParseException ex) {
                    return "parameter 'day' must be a date YYYY-MM-DD, got '" + e.getValue() + "'";
                }
            }
        }
        if (given.containsKey("day") && "true".equals(given.get("backfill"))) {
            return "give either 'day' or 'backfill', not both";
        }
        return null;
    }
}
