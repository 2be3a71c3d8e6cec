/** The {@code cxr} command line: train, evaluate, predict, features, weights, info. */
package dev.cxr.cli;
