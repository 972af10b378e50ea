package ledger

import (
	"strings"
	"time"
)

// AccountID names an account. It is built from the holder and the kind so
// that a caller can address an account without looking it up first, and so
// that the store can find it by _id (the only cheap lookup on the embedded
// store). Forms:
//
//	unit:<unitID>:<kind>
//	pool:control:<region>:<kind>    a region's control total (控制数)
//	pool:recovered:<region>:<kind>  a region's recovered-quota pool (收回编制池)
//	pool:talent:<subpool>:<kind>    a talent revolving pool (人才周转池)
//	ext:<level>:<kind>              the level above, source of control-total adjustments
type AccountID string

// HolderType says who holds an account.
type HolderType string

// The holder types.
const (
	HolderUnit      HolderType = "unit"
	HolderControl   HolderType = "control"
	HolderRecovered HolderType = "recovered"
	HolderTalent    HolderType = "talent"
	HolderExternal  HolderType = "external"
)

// UnitAccount returns the ID of a unit's account of kind k.
func UnitAccount(unitID string, k Kind) AccountID {
	return AccountID("unit:" + unitID + ":" + string(k))
}

// ControlAccount returns the ID of a region's control-total account.
func ControlAccount(region string, k Kind) AccountID {
	return AccountID("pool:control:" + region + ":" + string(k))
}

// RecoveredAccount returns the ID of a region's recovered-quota pool.
func RecoveredAccount(region string, k Kind) AccountID {
	return AccountID("pool:recovered:" + region + ":" + string(k))
}

// TalentAccount returns the ID of a talent revolving pool's account.
func TalentAccount(subpool string, k Kind) AccountID {
	return AccountID("pool:talent:" + subpool + ":" + string(k))
}

// ExternalAccount returns the ID of the account that stands for the level
// above the ledger, the source of control-total adjustments.
func ExternalAccount(l Level, k Kind) AccountID {
	return AccountID("ext:" + string(l) + ":" + string(k))
}

// Parts splits id into holder type, holder and kind; ok is false if id is
// not well formed.
func (id AccountID) Parts() (t HolderType, holder string, k Kind, ok bool) {
	p := strings.Split(string(id), ":")
	switch {
	case len(p) == 3 && p[0] == "unit":
		t, holder, k = HolderUnit, p[1], Kind(p[2])
		ok = validName(holder)
	case len(p) == 4 && p[0] == "pool" && (p[1] == "control" || p[1] == "recovered"):
		t, holder, k = HolderType(p[1]), p[2], Kind(p[3])
		ok = ValidRegion(holder)
	case len(p) == 4 && p[0] == "pool" && p[1] == "talent":
		t, holder, k = HolderTalent, p[2], Kind(p[3])
		ok = validName(holder)
	case len(p) == 3 && p[0] == "ext":
		t, holder, k = HolderExternal, p[1], Kind(p[2])
		ok = Level(holder) == LevelProvince || Level(holder) == LevelNational
	}
	return t, holder, k, ok && k.Valid()
}

// Type returns the holder type of id, or "" if id is malformed.
func (id AccountID) Type() HolderType {
	t, _, _, ok := id.Parts()
	if !ok {
		return ""
	}
	return t
}

// Kind returns the quota kind of id, or "" if id is malformed.
func (id AccountID) Kind() Kind {
	_, _, k, ok := id.Parts()
	if !ok {
		return ""
	}
	return k
}

// ParseAccountID validates s as an account ID, naming field in the error.
func ParseAccountID(field, s string) (AccountID, error) {
	id := AccountID(s)
	if _, _, _, ok := id.Parts(); !ok {
		return "", Invalid(field, "账户编号格式不正确："+s, "malformed account id "+s)
	}
	return id, nil
}

// validName accepts the IDs other services give units and pools: letters,
// digits, '-' and '_'. ':' and '#' are separators in account and entry IDs
// and '.' is not allowed in stored field names, so none may appear.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}

// Account is an account's static metadata. Its balance lives in the
// journal, never here, so a balance can never disagree with its history.
type Account struct {
	ID         AccountID
	Type       HolderType
	Holder     string // unit ID, region code, talent sub-pool or level
	Kind       Kind
	Region     string // region code the quota counts towards; "" for external accounts
	Level      Level
	Department string // supervising department (主管部门) of a unit, for discipline blocks
	Name       string // the holder's name, for people reading reports
	Abolished  bool   // an abolished unit's account takes no incoming quota
	CreatedAt  time.Time
}

// NewAccount validates and builds an account. region is required for units,
// talent pools and external accounts take the region they report under
// (talent pools: the city; external: none).
func NewAccount(id AccountID, region, department, name string, now time.Time) (Account, error) {
	t, holder, k, ok := id.Parts()
	if !ok {
		return Account{}, Invalid("id", "账户编号格式不正确："+string(id), "malformed account id "+string(id))
	}
	a := Account{ID: id, Type: t, Holder: holder, Kind: k, Department: department, Name: name, CreatedAt: now.UTC()}
	switch t {
	case HolderControl, HolderRecovered:
		if region != "" && region != holder {
			return Account{}, Invalid("region", "资金池的区划必须与账户编号一致", "a pool's region must match its account id")
		}
		region = holder
	case HolderExternal:
		if region != "" {
			return Account{}, Invalid("region", "外部账户没有区划", "external accounts have no region")
		}
		a.Level = Level(holder)
		return a, nil
	}
	if !ValidRegion(region) {
		return Account{}, Invalid("region", "区划代码不正确："+region, "region must be a 6- or 9-digit division code")
	}
	if department != "" && !validName(department) {
		return Account{}, Invalid("department", "主管部门编号格式不正确", "malformed department id")
	}
	if len([]rune(name)) > 200 {
		return Account{}, Invalid("name", "名称过长", "name longer than 200 characters")
	}
	a.Region, a.Level = region, RegionLevel(region)
	return a, nil
}
