package demo

import (
	"time"

	"github.com/bianzhi/bianzhi/pkg/gb11643"
)

// people draws one incumbent per occupied post: a name, a GB 11643 ID number (unique,
// with its check character) born 1962-2000 in the unit's county, an entry channel and date.
func (g *gen) people() {
	seen := map[string]bool{}
	channels := []string{"exam", "exam", "open_recruitment", "open_recruitment", "transfer", "military_resettlement"}
	base := time.Date(1962, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, u := range g.d.Units {
		for _, p := range g.d.Quotas[u.ID] {
			for range p.Occupied {
				birth := base.AddDate(0, 0, g.r.IntN(38*365))
				var id string
				for seq := g.r.IntN(999) + 1; ; seq = seq%999 + 1 {
					id = idNumber(u.RegionCode[:6], birth, seq)
					if !seen[id] {
						break
					}
				}
				seen[id] = true
				entry := birth.AddDate(22+g.r.IntN(8), g.r.IntN(12), 0)
				if entry.After(time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)) {
					entry = time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
				}
				name := string(surnames[g.r.IntN(len(surnames))]) + string(givenChars[g.r.IntN(len(givenChars))])
				if g.chance(0.6) {
					name += string(givenChars[g.r.IntN(len(givenChars))])
				}
				g.d.Hires = append(g.d.Hires, Person{IDNumber: id, Name: name, Unit: u.ID, Kind: p.Kind,
					Channel: channels[g.r.IntN(len(channels))], EntryDate: entry.Format(time.DateOnly)})
			}
		}
	}
}

// idNumber builds an 18-character resident ID number with its GB 11643 check character.
func idNumber(region string, birth time.Time, seq int) string {
	return gb11643.Number(region, birth, seq)
}
