package io.hookrail.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.hookrail.policy.PolicyFileException;
import io.hookrail.quality.DataQualityFile;

/**
 * The {@code dataQuality} section of the policy file loads as Hookrail loads it at startup ({@link DataQualityFile}):
 * known rule kinds, field paths, what a {@code known} id names, and an event type with a data contract among the
 * validated files or those Hookrail ships.
 */
final class DataQualityCheck {

    private DataQualityCheck() {
    }

    static void check(ValidatedFile file, List<ValidatedFile> files, List<Problem> problems) {
        Set<String> contracts = new HashSet<>(types(files));
        contracts.addAll(types(FlowFiles.onClasspath()));
        try {
            DataQualityFile.parse(file.name(), file.text(), contracts::contains);
        } catch (PolicyFileException e) {
            PolicyCheck.report(file, e, problems);
        }
    }

    /** The event types of the contracts among the files: {@code schemas/<type>/v<N>.json}. */
    private static List<String> types(List<ValidatedFile> files) {
        return files.stream().filter(ValidatedFile::isSchema).map(ValidatedFile::name)
                .map(name -> name.replace('\\', '/'))
                .map(name -> name.substring(0, name.lastIndexOf('/')))
                .map(dir -> dir.substring(dir.lastIndexOf('/') + 1)).toList();
    }
}
