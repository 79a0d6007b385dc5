package io.camserver.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages' layers, top to bottom: a package may use those below it and never one above, and
 * no packages import each other in a circle. A newcomer reads the pipeline in this order:
 * the composition root, the HTTP layer, the outputs (replicas, integrations, history), analysis
 * and its stages, the dispatcher's events, the gallery, camera ingest, vision, and the leaves.
 * Packages on one line are peers: they may use each other only where no circle results.
 */
class LayeringTest {
    private static final List<String[]> LAYERS = List.of(
            new String[] {"app"},
            new String[] {"web"},
            new String[] {"replicas", "comms", "sim", "eval", "mdns"},
            new String[] {"history"},
            new String[] {"analysis"},
            new String[] {"output", "track", "motion"},
            new String[] {"live"},
            new String[] {"gallery"},
            new String[] {"ingest"},
            new String[] {"vision"},
            new String[] {"store", "image", "models", "metrics"});

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.camserver");
    }

    private static String[] packages(String... names) {
        return Arrays.stream(names).map(n -> "io.camserver." + n + "..").toArray(String[]::new);
    }

    @Test
    void noPackageImportsALayerAboveIt() {
        List<String> above = new ArrayList<>();
        for (String[] layer : LAYERS) {
            if (!above.isEmpty()) {
                noClasses().that().resideInAnyPackage(packages(layer))
                        .should().dependOnClassesThat().resideInAnyPackage(packages(above.toArray(String[]::new)))
                        .because("a layer uses only the layers below it")
                        .check(classes);
            }
            above.addAll(List.of(layer));
        }
    }

    @Test
    void everyPackageHasALayer() {
        List<String> all = LAYERS.stream().flatMap(Arrays::stream).toList();
        noClasses().should().resideOutsideOfPackages(packages(all.toArray(String[]::new)))
                .because("each package is placed in LAYERS, so the rule above covers it")
                .check(classes);
    }

    @Test
    void noImportCircles() {
        slices().matching("io.camserver.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("io.camserver.ingest.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** Camera ingest's parts (HTTP client, MJPEG, RTSP, registration rules) sit below the registry that uses them. */
    @Test
    void ingestsPartsDoNotUseTheRegistry() {
        noClasses().that().resideInAnyPackage("io.camserver.ingest.(*)..")
                .should().dependOnClassesThat().resideInAPackage("io.camserver.ingest")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.camserver.ingest.stream..", "io.camserver.ingest.registration..")
                .should().dependOnClassesThat().resideInAnyPackage("io.camserver.ingest.http..", "io.camserver.ingest.mjpeg..",
                        "io.camserver.ingest.rtsp..")
                .because("stream holds the feed contracts and registration the address rules: both are leaves")
                .check(classes);
    }
}
