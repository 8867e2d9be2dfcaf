package tether.api;

/**
 * The signals tether sends to a tree, by name; each provider maps them to its platform's numbers
 * (SIGUSR1 is 10 on Linux and 30 on macOS).
 */
public enum TreeSignal {
    HUP, INT, QUIT, USR1, USR2, TERM, CONT, KILL
}
