package errors

import "strings"

// codeSentinels maps lower-case error codes to their sentinels. The
// throttling codes are those the AWS SDK for Go v2 standard retryer treats
// as throttles (retry.DefaultThrottleErrorCodes in aws-sdk-go-v2 v1.48.0)
// that a Systems Manager endpoint can send.
var codeSentinels = map[string]error{
	"invalidcommandid":    ErrInvalidCommandID,
	"invalidinstanceid":   ErrInvalidInstanceID,
	"duplicateinstanceid": ErrDuplicateInstanceID,
	"internalservererror": ErrInternalServer,
	"internalfailure":     ErrInternalServer,
	"serviceunavailable":  ErrInternalServer,

	"throttlingexception":       ErrThrottled,
	"throttling":                ErrThrottled,
	"throttledexception":        ErrThrottled,
	"toomanyrequestsexception":  ErrThrottled,
	"requestlimitexceeded":      ErrThrottled,
	"requestthrottled":          ErrThrottled,
	"requestthrottledexception": ErrThrottled,
	"slowdown":                  ErrThrottled,

	"accessdeniedexception":               ErrAccessDenied,
	"accessdenied":                        ErrAccessDenied,
	"unrecognizedclientexception":         ErrAccessDenied,
	"invalidclienttokenid":                ErrAccessDenied,
	"invalidsignatureexception":           ErrAccessDenied,
	"signaturedoesnotmatch":               ErrAccessDenied,
	"incompletesignature":                 ErrAccessDenied,
	"incompletesignatureexception":        ErrAccessDenied,
	"missingauthenticationtoken":          ErrAccessDenied,
	"missingauthenticationtokenexception": ErrAccessDenied,
	"expiredtoken":                        ErrAccessDenied,
	"expiredtokenexception":               ErrAccessDenied,
	"requestexpired":                      ErrAccessDenied,
	"notauthorized":                       ErrAccessDenied,
	"authfailure":                         ErrAccessDenied,
}

// Classify returns the sentinels that fit an error response, in the order
// of the faults it reports. Codes match case-insensitively. A
// ValidationException maps to the sentinel of the member and constraint
// that its message names, as ParseValidationMessage reads them. A 5xx
// response without a known code maps to ErrInternalServer, and a 429 to
// ErrThrottled. Any other unknown code maps to no sentinel.
func Classify(code, message string, statusCode int) []error {
	lower := strings.ToLower(code)
	if sentinel, ok := codeSentinels[lower]; ok {
		return []error{sentinel}
	}

	if lower == "validationexception" || lower == "validationerror" {
		return validationSentinels(message)
	}

	switch {
	case statusCode >= 500 && statusCode <= 599:
		return []error{ErrInternalServer}
	case statusCode == 429:
		return []error{ErrThrottled}
	}
	return nil
}

// validationSentinels maps each violation in a ValidationException message
// to a sentinel and returns each sentinel once, or ErrValidation when none
// is more specific.
func validationSentinels(message string) []error {
	var sentinels []error
	for _, v := range ParseValidationMessage(message) {
		sentinel := v.sentinel()
		if !contains(sentinels, sentinel) {
			sentinels = append(sentinels, sentinel)
		}
	}
	if len(sentinels) == 0 {
		return []error{ErrValidation}
	}
	return sentinels
}

func contains(errs []error, target error) bool {
	for _, err := range errs {
		if err == target {
			return true
		}
	}
	return false
}
