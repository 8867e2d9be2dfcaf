/**
 * The platform SPI of tether: a {@link tether.api.ProcessTreeKiller} spawns a command into a tree that
 * can be torn down as a whole, and {@link tether.api.Teardown} is the one teardown routine every cause
 * of shutdown goes through. This module holds no platform code and loads no native library.
 */
module tether.api {
    exports tether.api;

    uses tether.api.ProcessTreeKiller;
}
