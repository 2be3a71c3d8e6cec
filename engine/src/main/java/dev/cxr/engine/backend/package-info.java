/** The {@link dev.cxr.engine.backend.Backend} interface of ops and the geometry records they take. */
package dev.cxr.engine.backend;
