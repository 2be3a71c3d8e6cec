package dev.cxr.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, with the Java runtime it runs on. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "cxr " + (v == null ? "(development build)" : v),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}
