package dev.procpool.protocol;

import java.lang.reflect.InaccessibleObjectException;

/**
 * What a modular client must declare so that procpool can read and make its classes: a record's accessors and
 * canonical constructor, a function's no-argument constructor, are reached by reflection from procpool's module, which
 * the module system allows only for a package its module exports (or opens) to procpool. Stateless.
 */
final class ModuleAccess {

    private ModuleAccess() {
    }

    /**
     * Why procpool could not reach {@code type}'s members, and what to write in its {@code module-info.java}: one line,
     * for a refusal that {@code denied} (from {@code setAccessible}) caused.
     */
    static String refusal(Class<?> type, InaccessibleObjectException denied) {
        Module theirs = type.getModule();
        Module ours = ModuleAccess.class.getModule();
        String target = ours.isNamed() ? " to " + ours.getName() : "";
        if (!theirs.isNamed()) {
            return "procpool cannot reach the members of " + type.getName() + " (" + denied.getMessage() + ")";
        }
        return "procpool cannot reach the members of " + type.getName() + ": module " + theirs.getName()
                + " does not export package " + type.getPackageName() + target + "; export (or open) package "
                + type.getPackageName() + target + " in the module-info.java of module " + theirs.getName();
    }
}
