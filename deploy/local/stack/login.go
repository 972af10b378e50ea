package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// DemoPassword is the password of the gateway's demo accounts (docs/gateway.md).
const DemoPassword = "Bianzhi@2026"

// Login signs in at the stack's gateway and returns the bearer token, as the portal does.
func (s *Stack) Login(ctx context.Context, user, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Gateway+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("log in as %s: status %d", user, resp.StatusCode)
	}
	return out.Token, nil
}
