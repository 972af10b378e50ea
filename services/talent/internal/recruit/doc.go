// Package recruit is the talent pool's domain: a recruitment case (人才引进案件) for one candidate,
// its state machine from filing to the return of the borrowed quota, the steps that go through the
// quota ledger and the keys that make them idempotent, and the pool reports computed from cases.
//
// The package is pure Go: it imports no HTTP, database or cache library. It uses pkg/apperr only for
// the platform's error vocabulary, so a refusal here reaches the caller as the same problem+json.
package recruit
