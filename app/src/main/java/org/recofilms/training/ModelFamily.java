package org.recofilms.training;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.recofilms.platform.BadRequestException;

/**
 * The model families a training run can train. The three item-item families write neighbour lists and share one
 * serving engine (the seed's scoring rule); iALS writes item factors and folds the user in at request time. Names
 * are lower-case on the wire (requests, model.json, registry tags).
 */
public enum ModelFamily {
    /** The seed's item-kNN (cosine), the default. */
    ITEMKNN(true),
    /** Random-walk item-item weights with a popularity penalty. */
    RP3BETA(true),
    /** Closed-form EASE, pruned to the top-k weights per movie. */
    EASE(true),
    /** Implicit ALS: item factors, user fold-in at request time. */
    IALS(false);

    private final boolean itemItem;

    ModelFamily(boolean itemItem) {
        this.itemItem = itemItem;
    }

    public String id() {
        return name().toLowerCase();
    }

    /** True for the families that produce item-item neighbour lists. */
    public boolean itemItem() {
        return itemItem;
    }

    public static Optional<ModelFamily> find(String id) {
        return Arrays.stream(values()).filter(f -> f.id().equals(id)).findFirst();
    }

    /** The family named {@code id}, or a 400 listing the families. */
    public static ModelFamily parse(String id) {
        return find(id).orElseThrow(() -> new BadRequestException("unknown family '" + id + "'; families: " + ids()));
    }

    /** The family ids, comma-separated. */
    public static String ids() {
        return Arrays.stream(values()).map(ModelFamily::id).collect(Collectors.joining(", "));
    }
}
