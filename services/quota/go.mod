module github.com/bianzhi/bianzhi/services/quota

go 1.26.0

require github.com/bianzhi/bianzhi/pkg v0.0.0

require go.mongodb.org/mongo-driver/v2 v2.10.0 // indirect

replace github.com/bianzhi/bianzhi/pkg => ../../pkg
