package org.recofilms;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;

/**
 * The packages' import rule (README, "Layout"), read from the compiled main classes: orchestration
 * ({@code cli}, {@code pipeline}) on top, the features below it in a fixed order, {@code platform}
 * under all of them; nothing imports upward and no two packages import each other. No exceptions.
 */
@AnalyzeClasses(packages = "org.recofilms", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Commands and pipeline steps: they may import any feature, and nothing imports them. */
    static final String[] ORCHESTRATION = {"org.recofilms.cli..", "org.recofilms.pipeline.."};

    /**
     * The features from the bottom up. A feature imports only features of the tiers before its own
     * (and {@code platform}); features of one tier import none of each other.
     */
    static final List<List<String>> FEATURE_TIERS = List.of(
            List.of("snapshot", "ingestion", "monitoring", "web"),
            List.of("training", "catalog"),
            List.of("registry"),
            List.of("serving"));

    static final String PLATFORM = "org.recofilms.platform..";

    /**
     * The local launcher, a module of its own beside the app (on this class path because the app's
     * tests start services with it): the app's main classes never use it, and it uses none of them.
     */
    static final String LAUNCHER = "org.recofilms.launcher..";

    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .ensureAllClassesAreContainedInArchitecture()
            .layer("Orchestration")
            .definedBy(ORCHESTRATION)
            .layer("Features")
            .definedBy(packages(features()))
            .layer("Platform")
            .definedBy(PLATFORM)
            .layer("Launcher")
            .definedBy(LAUNCHER)
            .whereLayer("Orchestration")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Features")
            .mayOnlyBeAccessedByLayers("Orchestration")
            .whereLayer("Platform")
            .mayOnlyBeAccessedByLayers("Orchestration", "Features")
            .whereLayer("Launcher")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Launcher")
            .mayNotAccessAnyLayer()
            .because("orchestration imports the features, the features import platform, never the other way;"
                    + " the launcher runs the app's jar and shares no class with it");

    @ArchTest
    static final ArchRule platformImportsNoFeature = noClasses()
            .that()
            .resideInAPackage(PLATFORM)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(packages(features()))
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(ORCHESTRATION)
            .because("platform (config, errors, health, metric and topic names, binary COPY, DVC hashing)"
                    + " lies under every feature");

    @ArchTest
    static final ArchRule featureOrder = featureOrder();

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("org.recofilms.(*)..").should().beFreeOfCycles();

    /** One layer per feature; each may access only the features of the tiers below its own. */
    private static ArchRule featureOrder() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String feature : features()) {
            rule = rule.layer(feature).definedBy("org.recofilms." + feature + "..");
        }
        List<String> below = new ArrayList<>();
        for (List<String> tier : FEATURE_TIERS) {
            for (String feature : tier) {
                rule = below.isEmpty()
                        ? rule.whereLayer(feature).mayNotAccessAnyLayer()
                        : rule.whereLayer(feature).mayOnlyAccessLayers(below.toArray(String[]::new));
            }
            below.addAll(tier);
        }
        return rule.because("the features stand in the order " + FEATURE_TIERS + ", from the bottom up");
    }

    private static List<String> features() {
        return FEATURE_TIERS.stream().flatMap(List::stream).toList();
    }

    private static String[] packages(List<String> features) {
        return features.stream().map(f -> "org.recofilms." + f + "..").toArray(String[]::new);
    }
}
