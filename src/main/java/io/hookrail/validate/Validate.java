package io.hookrail.validate;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar hookrail.jar validate [dir]}: reads every route file, Kamelet, data contract, policy file and the
 * sources of {@code application.properties} without starting Camel, and prints each problem as {@code file:line:column: problem}; the exit status is 1 when
 * there is any, 2 for a usage error. Without a directory it checks the flows Hookrail ships (the classpath).
 */
public final class Validate {

    private Validate() {
    }

    /** The first argument of {@code main} that runs this command instead of Hookrail. */
    public static final String COMMAND = "validate";

    /**
     * @param args the arguments after {@code validate}: none, or one directory
     * @return the exit status
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() > 1 || (args.size() == 1 && !Files.isDirectory(Path.of(args.get(0))))) {
            err.println("usage: java -jar hookrail.jar validate [dir]   (dir: a directory of *.camel.yaml, "
                    + "*.kamelet.yaml, schemas/<type>/v<N>.json, policies.yaml, application.properties)");
            return 2;
        }
        List<ValidatedFile> files = args.isEmpty() ? FlowFiles.onClasspath() : FlowFiles.in(Path.of(args.get(0)));
        List<Problem> problems = problems(files);
        problems.forEach(out::println);
        out.println(problems.isEmpty() ? files.size() + " files valid"
                : problems.size() + " problem(s) in " + files.size() + " files");
        return problems.isEmpty() ? 0 : 1;
    }

    /** Every problem of these files, in file order. */
    public static List<Problem> problems(List<ValidatedFile> files) {
        List<Problem> problems = new ArrayList<>();
        Map<ValidatedFile, YamlTree> trees = new LinkedHashMap<>();
        for (ValidatedFile file : files) {
            if (file.isProperties()) {
                continue; // with the routes and contracts, below
            }
            if (file.isPolicies()) {
                PolicyCheck.check(file, problems);
                DataQualityCheck.check(file, files, problems);
            } else if (file.isSchema()) {
                ContractCheck.check(file, problems);
            } else {
                YamlTree.parse(file, problems).ifPresent(tree -> trees.put(file, tree));
            }
        }
        EndpointCheck endpoints = new EndpointCheck(kamelets(trees.values()));
        DslSchemaCheck dsl = DslSchemaCheck.instance();
        trees.forEach((file, tree) -> {
            if (file.isRoutes()) {
                dsl.check(tree, problems);
            }
            endpoints.check(tree, problems);
        });
        List<YamlTree> routes = trees.keySet().stream().filter(ValidatedFile::isRoutes).map(trees::get).toList();
        RouteIdCheck.check(routes, problems);
        SagaCheck.check(routes, problems);
        OwnershipCheck.check(routes, problems);
        files.stream().filter(ValidatedFile::isProperties).findFirst()
                .ifPresent(properties -> {
                    SourcesCheck.check(properties, files, routes, problems);
                    RolloutCheck.check(properties, routes, problems);
                });
        problems.sort(Problem.ORDER);
        return problems;
    }

    /** The Kamelets among the files, and those Hookrail ships (a directory of routes may use them). */
    private static Map<String, Set<String>> kamelets(Collection<YamlTree> trees) {
        Map<String, Set<String>> kamelets = new HashMap<>();
        List<YamlTree> all = new ArrayList<>(trees);
        FlowFiles.onClasspath().stream().filter(ValidatedFile::isKamelet)
                .forEach(file -> YamlTree.parse(file, new ArrayList<>()).ifPresent(all::add));
        for (YamlTree tree : all) {
            Map.Entry<String, Set<String>> kamelet = tree.file().endsWith(".kamelet.yaml")
                    ? EndpointCheck.kamelet(tree) : null;
            if (kamelet != null) {
                kamelets.putIfAbsent(kamelet.getKey(), kamelet.getValue());
            }
        }
        return kamelets;
    }
}
