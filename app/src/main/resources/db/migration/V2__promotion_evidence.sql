-- Promotion across model families (issue 15): what each decision compared, so that the record shows both
-- models' families, the metric, the difference with its standard error and the threshold it was held to.
-- challenger_score and champion_score keep their meaning: the two values of the metric compared.
ALTER TABLE reco.promotion_decisions
    ADD COLUMN challenger_family   text,
    ADD COLUMN champion_family     text,
    ADD COLUMN metric              text,
    ADD COLUMN difference          double precision,
    ADD COLUMN difference_se       double precision,
    ADD COLUMN min_standard_errors double precision,
    ADD COLUMN paired_users        integer,
    ADD COLUMN basis               text;
