package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bianzhi/bianzhi/pkg/apperr"
	"github.com/bianzhi/bianzhi/pkg/auth"
	"github.com/bianzhi/bianzhi/pkg/httpserver"

	"github.com/bianzhi/bianzhi/services/gateway/internal/account"
)

type accountState struct {
	Username       string `json:"username"`
	Disabled       bool   `json:"disabled"`
	SessionVersion int64  `json:"sessionVersion"`
}

// setDisabled disables (or enables) an account. Either way the account's session version rises, so
// every token issued before is refused by every service within seconds (auth.Sessions).
func (d Deps) setDisabled(disabled bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		username := c.Param("username")
		acc, err := d.Accounts.SetDisabled(c.Request.Context(), username, disabled)
		if err != nil {
			_ = c.Error(err)
			return
		}
		if acc == nil {
			_ = c.Error(apperr.New(apperr.CodeNotFound, "账号不存在", "no account "+username))
			return
		}
		d.Sessions.PublishSoon(c.Request.Context(), acc.Username, acc.SessionVersion)
		c.JSON(http.StatusOK, accountState{Username: acc.Username, Disabled: acc.Disabled, SessionVersion: acc.SessionVersion})
	}
}

type passwordRequest struct {
	OldPassword string `json:"oldPassword" validate:"required,max=256"`
	NewPassword string `json:"newPassword" validate:"required,min=8,max=256"`
}

type passwordResponse struct {
	tokenResponse
}

// changePassword changes the caller's own password, given the current one. Every token of the
// account, the one used here included, is revoked; the answer carries a fresh token.
func (d Deps) changePassword(c *gin.Context) {
	var req passwordRequest
	if err := httpserver.BindJSON(c, &req); err != nil {
		_ = c.Error(err)
		return
	}
	ctx := c.Request.Context()
	me := auth.Caller(c)
	if me.Has(auth.RoleService) {
		_ = c.Error(auth.Forbidden("role"))
		return
	}
	if locked, wait := d.Lockout.Locked(ctx, me.Subject); locked {
		_ = c.Error(rateLimited(c, wait))
		return
	}
	acc, err := d.Accounts.Get(ctx, me.Subject)
	if err != nil {
		_ = c.Error(err)
		return
	}
	if !account.Authenticate(acc, req.OldPassword) {
		d.Lockout.Fail(ctx, me.Subject)
		_ = c.Error(apperr.New(apperr.CodeUnauthenticated, "原密码错误", "wrong current password"))
		return
	}
	h, err := account.HashPassword(req.NewPassword)
	if err != nil {
		_ = c.Error(apperr.New(apperr.CodeInvalidArgument, "新密码不符合要求", err.Error()).WithField("newPassword"))
		return
	}
	if acc, err = d.Accounts.SetPassword(ctx, me.Subject, h); err != nil || acc == nil {
		if err == nil {
			err = apperr.New(apperr.CodeNotFound, "账号不存在", "no account "+me.Subject)
		}
		_ = c.Error(err)
		return
	}
	d.Sessions.PublishSoon(ctx, acc.Username, acc.SessionVersion)
	claims := acc.Claims()
	tok, exp, err := d.sign(claims)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, passwordResponse{tokenResponse{Token: tok, ExpiresAt: exp, User: userOf(&claims)}})
}
