// Package unit is the domain of the units service: the region tree, organisations
// (机构) with their effective-dated versions, 三定 charters, reform proposals and the
// staffing office's structural rules.
//
// The package is pure Go: it imports no HTTP, Mongo or Redis code, so every rule can be
// tested table-driven and reused by the what-if simulation, the legality review and the
// execution of a proposal alike.
package unit
