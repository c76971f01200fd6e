/** A modular client of procpool: its jars on the module path, as automatic modules. */
module client {
    requires dev.procpool;
    requires dev.procpool.common;
    exports client;
}
