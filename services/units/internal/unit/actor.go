package unit

import "slices"

// Actor is who acts on a proposal. ID is the stable identity (the token's subject) that four
// eyes compare; Name is for people reading the record; CityOffice says the actor speaks for the
// city staffing office, the only one that decides city-level proposals.
type Actor struct {
	ID         string
	Name       string
	CityOffice bool
}

// String renders the actor for records: "姓名 (subject)", or the subject alone.
func (a Actor) String() string {
	if a.Name != "" {
		return a.Name + " (" + a.ID + ")"
	}
	return a.ID
}

// filedBy reports whether actor id created or submitted p. Proposals stored before identities
// were recorded are matched on the rendered creator, so an old record cannot slip past four eyes.
func (p Proposal) filedBy(by Actor) bool {
	if by.ID == "" {
		return true // no identity, no proof of a second pair of eyes
	}
	if p.CreatedByID == by.ID || (p.CreatedByID == "" && p.CreatedBy == by.String()) {
		return true
	}
	return slices.ContainsFunc(p.Transitions, func(t Transition) bool {
		return t.Action == ActionSubmit && (t.ActorID == by.ID || (t.ActorID == "" && t.Actor == by.String()))
	})
}

// mayDecide enforces the review's separation of duties on a decision: whoever filed (created or
// submitted) a proposal does not approve it, and a city-level proposal is decided only by the
// city office.
func (p Proposal) mayDecide(a Action, by Actor) error {
	if lvl, _ := LevelOfCode(p.RegionCode); lvl == LevelCity && !by.CityOffice {
		return forbidden("city_office_required", "市级机构改革方案须由市委编办决定",
			"a city-level proposal is decided by the city office (city_admin)")
	}
	if a == ActionApprove && p.filedBy(by) {
		return forbidden("four_eyes", "方案的起草人或报送人不能批准本方案",
			"whoever created or submitted a proposal cannot approve it")
	}
	return nil
}
