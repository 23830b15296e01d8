package org.newbornregistry.cli;

import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Converts a parameter naming a file or directory that must exist: one that does not is a usage error, caught before anything is sent. */
public final class ExistingPath implements CommandLine.ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        Path path = Path.of(value);
        if (!Files.exists(path)) {
            throw new CommandLine.TypeConversionException("no file or directory " + value);
        }
        return path;
    }
}
