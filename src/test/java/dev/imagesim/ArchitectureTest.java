package dev.imagesim;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The package dependencies of the service's own classes, read from the compiled bytecode: every package
 * (sub-packages apart) is a slice, and no two slices depend on each other in a cycle; the base packages
 * depend on nothing above them, and nothing depends on the HTTP layer.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.imagesim");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.imagesim.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void nothingDependsOnTheHttpLayer() {
        noClasses().that().resideOutsideOfPackages("dev.imagesim.api..").should().dependOnClassesThat()
                .resideInAPackage("dev.imagesim.api..").check(classes);
    }

    @Test
    void basePackagesStayAtTheBottom() {
        dependsOnlyOn("dev.imagesim.vector");
        dependsOnlyOn("dev.imagesim.engine");
        dependsOnlyOn("dev.imagesim.index", "dev.imagesim.vector");
        dependsOnlyOn("dev.imagesim.evaluation", "dev.imagesim.model", "dev.imagesim.vector");
    }

    /** Models are defined without the services that use them: the engine, vectors and the root helpers only. */
    @Test
    void modelsStayBelowTheServices() {
        dependsOnlyOn("dev.imagesim.model", "dev.imagesim.engine", "dev.imagesim.vector");
    }

    /** Classes of {@code pkg} depend on no service class outside it, the root package and {@code allowed}. */
    private static void dependsOnlyOn(String pkg, String... allowed) {
        List<String> packages = new ArrayList<>(List.of("dev.imagesim", pkg + ".."));
        Arrays.stream(allowed).map(name -> name + "..").forEach(packages::add);
        noClasses().that().resideInAPackage(pkg + "..").should().dependOnClassesThat(resideInAPackage("dev.imagesim..")
                .and(resideOutsideOfPackages(packages.toArray(String[]::new)))).check(classes);
    }
}
