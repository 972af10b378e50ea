package service

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the units service's domain metrics.
type Metrics struct {
	transitions *prometheus.CounterVec
	steps       *prometheus.CounterVec
}

// NewMetrics registers the domain metrics on reg (nil: unregistered, for tests).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bianzhi_units_proposal_transitions_total",
			Help: "Reform proposal transitions, by action and outcome (ok, refused)."}, []string{"action", "outcome"}),
		steps: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bianzhi_units_execution_steps_total",
			Help: "Proposal execution steps, by kind and outcome (done, failed)."}, []string{"kind", "outcome"}),
	}
	if reg != nil {
		reg.MustRegister(m.transitions, m.steps)
	}
	return m
}

func outcome(err error, ok, bad string) string {
	if err != nil {
		return bad
	}
	return ok
}
