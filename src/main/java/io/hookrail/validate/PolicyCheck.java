package io.hookrail.validate;

import java.util.List;

import io.hookrail.policy.PolicyFile;
import io.hookrail.policy.PolicyFileException;

/** The policy file loads as Hookrail loads it at startup ({@link PolicyFile}, which places its own problems). */
final class PolicyCheck {

    private PolicyCheck() {
    }

    static void check(ValidatedFile file, List<Problem> problems) {
        try {
            PolicyFile.parse(file.name(), file.text());
        } catch (PolicyFileException e) {
            report(file, e, problems);
        }
    }

    /** The exception's problems as problems of the file. */
    static void report(ValidatedFile file, PolicyFileException e, List<Problem> problems) {
        for (String line : e.problems()) {
            // file:line:column: text, with the file name possibly containing ':' (classpath:policies.yaml)
            String rest = line.substring(file.name().length() + 1);
            String[] parts = rest.split(":", 3);
            problems.add(new Problem(file.name(), Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                    parts[2].strip()));
        }
    }
}
