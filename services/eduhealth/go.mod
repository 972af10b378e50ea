module github.com/bianzhi/bianzhi/services/eduhealth

go 1.26

require github.com/bianzhi/bianzhi/pkg v0.0.0

replace github.com/bianzhi/bianzhi/pkg => ../../pkg
