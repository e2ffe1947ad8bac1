package dev.pmux.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house as drawn in DESIGN.md section 2: {@code Main -> jmx -> supervisor -> exec | output ->
 * config}, {@code log} a leaf anything may use, {@code cli} a JMX client of the MXBean interfaces
 * only. An arrow that goes the wrong way fails the build.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.pmux");
  }

  @Test
  void layersDependOnlyDownwards() {
    layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("dev.pmux..")
        .layer("Main")
        .definedBy("dev.pmux")
        .layer("cli")
        .definedBy("dev.pmux.cli..")
        .layer("jmx")
        .definedBy("dev.pmux.jmx..")
        .layer("supervisor")
        .definedBy("dev.pmux.supervisor..")
        .layer("exec")
        .definedBy("dev.pmux.exec..")
        .layer("output")
        .definedBy("dev.pmux.output..")
        .layer("config")
        .definedBy("dev.pmux.config..")
        .layer("log")
        .definedBy("dev.pmux.log..")
        .whereLayer("Main")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("jmx")
        .mayOnlyBeAccessedByLayers("Main", "cli")
        .whereLayer("supervisor")
        .mayOnlyBeAccessedByLayers("Main", "jmx")
        .whereLayer("exec")
        .mayOnlyBeAccessedByLayers("Main", "jmx", "supervisor")
        .whereLayer("output")
        .mayOnlyBeAccessedByLayers("Main", "jmx", "supervisor")
        .whereLayer("config")
        .mayOnlyBeAccessedByLayers("Main", "jmx", "supervisor", "exec", "output")
        .check(main);
  }

  @Test
  void logIsALeaf() {
    noClasses()
        .that()
        .resideInAPackage("dev.pmux.log..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("dev.pmux.log..", "java..", "org.apache.logging..")
        .check(main);
  }

  @Test
  void execAndOutputDoNotKnowEachOther() {
    noClasses()
        .that()
        .resideInAPackage("dev.pmux.exec..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.pmux.output..")
        .check(main);
    noClasses()
        .that()
        .resideInAPackage("dev.pmux.output..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.pmux.exec..")
        .check(main);
  }

  @Test
  void supervisorNeverKnowsWhoWatchesIt() {
    noClasses()
        .that()
        .resideInAPackage("dev.pmux.supervisor..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.pmux.jmx..", "dev.pmux.cli..")
        .check(main);
  }

  @Test
  void cliUsesOnlyTheMXBeanContract() {
    DescribedPredicate<JavaClass> jmxImplementation =
        new DescribedPredicate<>("a jmx class that is not part of the MXBean contract") {
          @Override
          public boolean test(JavaClass c) {
            return c.getPackageName().startsWith("dev.pmux.jmx")
                && !c.isInterface()
                && !c.isRecord()
                && !c.isEnum()
                && !c.getSimpleName().equals("ObjectNames");
          }
        };
    noClasses()
        .that()
        .resideInAPackage("dev.pmux.cli..")
        .should()
        .dependOnClassesThat(jmxImplementation)
        .check(main);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.pmux.(*)..").should().beFreeOfCycles().check(main);
  }
}
