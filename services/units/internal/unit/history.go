package unit

import (
	"sort"
	"time"
)

// History is every version of one unit, oldest first. The last element is the current
// state; versions may be back-dated, so "current" and "in force today" can differ and
// AsOf answers by effective date, not by position.
type History []Unit

// Current returns the latest version (the last change recorded).
func (h History) Current() (Unit, bool) {
	if len(h) == 0 {
		return Unit{}, false
	}
	return h[len(h)-1], true
}

// AsOf returns the version in force on day: the one with the latest effective date not
// after day, the later version winning a tie. ok is false before the unit existed.
func (h History) AsOf(day time.Time) (Unit, bool) {
	day = Day(day)
	var best Unit
	found := false
	for _, v := range h {
		if v.EffectiveFrom.After(day) {
			continue
		}
		if !found || v.EffectiveFrom.After(best.EffectiveFrom) ||
			(v.EffectiveFrom.Equal(best.EffectiveFrom) && v.Version > best.Version) {
			best, found = v, true
		}
	}
	return best, found
}

// HasChange reports whether a version was produced by the proposal step ref; execution
// uses it to skip a step that already happened before a crash.
func (h History) HasChange(ref string) bool {
	for _, v := range h {
		if ref != "" && v.ChangeRef == ref {
			return true
		}
	}
	return false
}

// Change describes one amendment of a unit: what to alter, when it takes effect and on
// what authority.
type Change struct {
	Kind          string    // establish, rename, hand_over, change_category, merge, abolish, sections, charter
	EffectiveFrom time.Time // required
	DocumentNo    string
	Ref           string // proposal step or request that causes it, for idempotency
	Apply         func(*Unit) error
}

// Next applies c to the current version and returns the new version, validated and
// numbered. A merged or abolished unit accepts no further change: its history is closed.
func (h History) Next(c Change) (Unit, error) {
	cur, ok := h.Current()
	if !ok {
		return Unit{}, conflict("unit_has_no_history", "机构不存在历史版本", "cannot amend a unit with no versions")
	}
	if cur.Status != StatusActive {
		return Unit{}, conflict("unit_not_active", "机构已撤销或已被合并，不能再变更",
			"unit "+cur.ID+" is "+string(cur.Status))
	}
	if c.EffectiveFrom.IsZero() {
		return Unit{}, invalid("required", "effectiveFrom", "生效日期不能为空", "effectiveFrom is required")
	}
	next := cur
	next.Sections = append([]Section(nil), cur.Sections...)
	if c.Apply != nil {
		if err := c.Apply(&next); err != nil {
			return Unit{}, err
		}
	}
	next.ID = cur.ID
	next.Version = cur.Version + 1
	next.EffectiveFrom = Day(c.EffectiveFrom)
	next.DocumentNo = c.DocumentNo
	next.Change = c.Kind
	next.ChangeRef = c.Ref
	if err := next.Validate(); err != nil {
		return Unit{}, err
	}
	return next, nil
}

// Rename returns a change setting a new full and short name.
func Rename(name, short string) func(*Unit) error {
	return func(u *Unit) error {
		if name == "" {
			return invalid("required", "newName", "新名称不能为空", "newName is required")
		}
		u.Name, u.ShortName = name, short
		return nil
	}
}

// HandOver returns a change moving management to another authority while guidance may
// stay with the original department (属地管理, 业务指导).
func HandOver(managing, guiding string) func(*Unit) error {
	return func(u *Unit) error {
		if managing == "" {
			return invalid("required", "managingAuthorityId", "新的管理单位不能为空", "managingAuthorityId is required")
		}
		u.ManagingAuthorityID, u.GuidingAuthorityID = managing, guiding
		return nil
	}
}

// SetCategory returns a change of institution category.
func SetCategory(c Category) func(*Unit) error {
	return func(u *Unit) error {
		if u.Kind != KindInstitution {
			return invalid("category_not_allowed", "category", "只有事业单位可以调整类别",
				"only public institutions have a category")
		}
		u.Category = c
		return nil
	}
}

// MergeInto returns a change closing a unit as merged into target.
func MergeInto(target string) func(*Unit) error {
	return func(u *Unit) error {
		if target == "" || target == u.ID {
			return invalid("invalid_merge_target", "targetUnitId", "并入机构不正确", "a unit cannot be merged into itself or nothing")
		}
		u.Status, u.MergedInto = StatusMerged, target
		return nil
	}
}

// Abolish returns a change closing a unit as abolished.
func Abolish() func(*Unit) error {
	return func(u *Unit) error { u.Status = StatusAbolished; return nil }
}

// SetSections returns a change replacing the internal sections.
func SetSections(s []Section) func(*Unit) error {
	return func(u *Unit) error { u.Sections = append([]Section(nil), s...); return nil }
}

// SetCharter returns a change pointing the unit at its newly approved charter version;
// the charter's sections become the unit's.
func SetCharter(c Charter) func(*Unit) error {
	return func(u *Unit) error {
		u.CharterVersion = c.Version
		u.Sections = append([]Section(nil), c.Sections...)
		return nil
	}
}

// SortHistory orders versions by version number, as stored records may come back in any order.
func SortHistory(h History) History {
	sort.Slice(h, func(i, j int) bool { return h[i].Version < h[j].Version })
	return h
}
