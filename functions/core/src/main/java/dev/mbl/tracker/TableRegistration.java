package dev.mbl.tracker;

import dev.mbl.config.ConfigRef;
import dev.mbl.load.TableKey;
import java.time.Instant;

/** A table the reconciler must look at, with the config it was last fed through. */
public record TableRegistration(TableKey table, ConfigRef config, Instant lastSeen) {}
