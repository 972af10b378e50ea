// Package ledger is the quota ledger's domain: quota kinds, accounts and their
// balances, transfers and the red line, incumbents (real-name occupancy) with
// GB 11643 identity numbers, holds, usage plans, discipline cases and the
// approval block they cause.
//
// Quota is money-like: it must never be created, lost or double-spent. The
// package therefore models it as double-entry bookkeeping: every change is a
// transfer whose legs sum to zero approved posts, and a balance is only ever
// produced by applying a validated delta to the previous balance. The store
// adapters guard each append with a unique key; this package decides whether
// an append is allowed.
//
// The package is pure Go: it imports no HTTP, database or cache library, so
// every rule here is tested with table-driven unit tests.
package ledger
