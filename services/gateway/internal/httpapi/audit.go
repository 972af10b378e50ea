package httpapi

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/gateway/internal/audit"
	"github.com/bianzhi/bianzhi/services/gateway/internal/auditlog"
)

// actor is who an audit record names. Handlers that learn it themselves (login) set it; otherwise
// it comes from the verified token.
type actor struct {
	Subject string
	Name    string
	Roles   []string
}

const actorKey = "gateway.auditActor"

func setActor(c *gin.Context, a actor) { c.Set(actorKey, a) }

func actorOf(cl *auth.Claims) actor {
	roles := make([]string, len(cl.Roles))
	for i, r := range cl.Roles {
		roles[i] = string(r)
	}
	return actor{Subject: cl.Subject, Name: cl.Name, Roles: roles}
}

// auditRequests records every unsafe request once it has been answered. The outcome is the status
// the caller gets: for errors the renderer has not written yet, the status of the recorded error.
func auditRequests(w *auditlog.Writer) gin.HandlerFunc {
	return func(c *gin.Context) {
		if audit.Safe(c.Request.Method) {
			c.Next()
			return
		}
		c.Next()
		status := c.Writer.Status()
		if !c.Writer.Written() && len(c.Errors) > 0 {
			e := apperr.From(c.Errors.Last().Err)
			if status = e.Status; status == 0 {
				status = apperr.Status(e.Code)
			}
		}
		who, ok := c.Get(actorKey)
		a, _ := who.(actor)
		if !ok {
			a = actorOf(auth.Caller(c))
		}
		service, resource, id := audit.Target(c.Request.URL.Path)
		w.Record(audit.Record{
			ID: audit.NewID(), At: time.Now().UTC(), RequestID: httpserver.RequestID(c),
			Subject: a.Subject, Name: a.Name, Roles: a.Roles,
			Method: c.Request.Method, Path: c.Request.URL.Path, Service: service, Resource: resource, ResourceID: id,
			ClientIP: c.ClientIP(), Status: status,
		})
	}
}

// AuditRecord is one audit record on the wire.
type AuditRecord struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	RequestID  string    `json:"requestId"`
	Subject    string    `json:"subject"`
	Name       string    `json:"name,omitempty"`
	Roles      []string  `json:"roles,omitempty"`
	Method     string    `json:"method"`
	Path       string    `json:"path"`
	Service    string    `json:"service,omitempty"`
	Resource   string    `json:"resource,omitempty"`
	ResourceID string    `json:"resourceId,omitempty"`
	ClientIP   string    `json:"clientIp"`
	Status     int       `json:"status"`
}

type auditPage struct {
	Items []AuditRecord `json:"items"`
	From  time.Time     `json:"from"`
	To    time.Time     `json:"to"`
	Limit int           `json:"limit"`
}

// china is the office's time zone: a bare date in a query means a day in Taiyuan.
var china = time.FixedZone("CST", 8*3600)

func parseTime(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, china); err == nil {
		return t, nil
	}
	return time.Time{}, apperr.Invalid(field, "“"+field+"”的时间格式不正确，应为 2026-03-01 或 RFC 3339",
		"want RFC 3339 or YYYY-MM-DD, got "+strconv.Quote(v))
}

func (d Deps) listAudit(c *gin.Context) {
	var q audit.Query
	var err error
	if q.From, err = parseTime("from", c.Query("from")); err != nil {
		_ = c.Error(err)
		return
	}
	if q.To, err = parseTime("to", c.Query("to")); err != nil {
		_ = c.Error(err)
		return
	}
	q.Subject = c.Query("subject")
	if s := c.Query("limit"); s != "" {
		if q.Limit, err = strconv.Atoi(s); err != nil || q.Limit < 1 {
			_ = c.Error(apperr.Invalid("limit", "“limit”必须是 1 到 "+strconv.Itoa(audit.MaxLimit)+" 之间的整数",
				"limit must be an integer in 1.."+strconv.Itoa(audit.MaxLimit)))
			return
		}
	}
	if err := q.Normalize(time.Now()); err != nil {
		field, title := "from", "开始时间必须早于结束时间"
		if errors.Is(err, audit.ErrLimit) {
			field, title = "limit", "“limit”必须是 1 到 "+strconv.Itoa(audit.MaxLimit)+" 之间的整数"
		}
		_ = c.Error(apperr.Invalid(field, title, err.Error()))
		return
	}
	recs, err := d.Audit.List(c.Request.Context(), q)
	if err != nil {
		_ = c.Error(err)
		return
	}
	page := auditPage{Items: make([]AuditRecord, len(recs)), From: q.From.UTC(), To: q.To.UTC(), Limit: q.Limit}
	for i, r := range recs {
		page.Items[i] = AuditRecord{ID: r.ID, At: r.At, RequestID: r.RequestID, Subject: r.Subject, Name: r.Name,
			Roles: r.Roles, Method: r.Method, Path: r.Path, Service: r.Service, Resource: r.Resource,
			ResourceID: r.ResourceID, ClientIP: r.ClientIP, Status: r.Status}
	}
	c.JSON(http.StatusOK, page)
}
