/**
 * The {@link dev.cxr.engine.backend.Backend} interface of ops, the specs they take
 * ({@link dev.cxr.engine.backend.ConvSpec}, {@link dev.cxr.engine.backend.PoolSpec}) and the geometry
 * every backend derives from them ({@link dev.cxr.engine.backend.ConvGeometry},
 * {@link dev.cxr.engine.backend.PoolGeometry}); {@link dev.cxr.engine.backend.Backends} opens the one
 * the user chose.
 */
package dev.cxr.engine.backend;
