/**
 * CPU backends: the reference backend (plain loops, the oracle), the plain-loop backend for JVMs
 * whose SIMD does not run (the reference's arithmetic, spread over threads), and what the CPU
 * backends share (the worker pool, array access); the fast backend is in {@code cpu.fast}.
 */
package dev.cxr.engine.backend.cpu;
