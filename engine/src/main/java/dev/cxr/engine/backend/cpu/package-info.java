/** CPU backends: the reference backend (plain loops, the oracle) and helpers shared by CPU backends. */
package dev.cxr.engine.backend.cpu;
