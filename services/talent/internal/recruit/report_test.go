package recruit

import (
	"testing"
	"time"
)

func TestReportCountsEveryStatusOnce(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	mk := func(id, unit string, sp SubPool, st Status, hiredAfter time.Duration) Case {
		c, _ := NewCase(id, unit, "140105", application(), "hr", now)
		c.SubPool, c.Status = sp, st
		if hiredAfter > 0 {
			c.HiredAt = now.Add(hiredAfter)
		}
		return c
	}
	cases := []Case{
		mk("1", "u-a", SubPoolResearch, StatusFiled, 0),
		mk("2", "u-a", SubPoolResearch, StatusAccepted, 0),
		mk("3", "u-a", SubPoolResearch, StatusHired, 10*day),
		mk("4", "u-b", SubPoolResearch, StatusOverdue, 20*day),
		mk("5", "u-b", SubPoolResearch, StatusReturnedToPool, 30*day),
		mk("6", "u-b", SubPoolHealth, StatusRejected, 0),
		mk("7", "u-b", SubPoolHealth, StatusHired, 40*day),
	}
	pools := map[string]PoolBalance{
		"pool:talent:research:institution_full":  {Approved: 10, Held: 1},
		"pool:talent:health:institution_full":    {Approved: 5},
		"pool:talent:education:institution_full": {Approved: 7},
	}
	st := Report(cases, pools, 2776)
	if st.Recruited != 2776+4 {
		t.Errorf("recruited %d", st.Recruited)
	}
	if st.HireTime != (HireTime{Count: 4, MeanDays: 25, MedianDays: 25, MaxDays: 40}) {
		t.Errorf("hire time %+v", st.HireTime)
	}
	if len(st.BySubPool) != 3 || st.BySubPool[0].SubPool != SubPoolEducation || st.BySubPool[2].SubPool != SubPoolResearch {
		t.Fatalf("sub-pools %+v", st.BySubPool)
	}
	r := st.BySubPool[2]
	if r.Held != 1 || r.OnLoan != 2 || r.Overdue != 1 || r.Returned != 1 || r.InProgress != 1 || *r.Free != 9 || *r.Capacity != 12 {
		t.Errorf("research line %+v free %d cap %d", r, *r.Free, *r.Capacity)
	}
	if *st.Total.Capacity != 12+6+7 || *st.Total.Free != 9+5+7 || st.Total.OnLoan != 3 {
		t.Errorf("total %+v", st.Total)
	}
	if len(st.ByUnit) != 2 || st.ByUnit[0].Unit != "u-a" || st.ByUnit[0].OnLoan != 1 || st.ByUnit[1].Returned != 1 {
		t.Errorf("units %+v", st.ByUnit)
	}
}

func TestReportWithoutBalancesLeavesCapacityUnknown(t *testing.T) {
	t.Parallel()
	c, _ := NewCase("1", "u-a", "140105", application(), "hr", now)
	st := Report([]Case{c}, nil, 0)
	if st.Total.Capacity != nil || st.BySubPool[0].Free != nil || st.Total.InProgress != 1 {
		t.Fatalf("%+v", st)
	}
}
