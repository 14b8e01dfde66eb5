"""The HTTP status of each error class (`vocabulary.errors` draws the hierarchy).

A class without its own entry takes its nearest ancestor's, so a new subclass answers like its
parent until it is given a status here.
"""

from __future__ import annotations

from vocabulary import errors as e

STATUS: dict[type[e.OnePlanError], int] = {
    e.OnePlanError: 500,
    e.InvalidRequest: 400,
    e.UnsupportedMediaType: 415,
    e.NotAcceptable: 406,
    e.MethodNotAllowed: 405,
    e.PayloadTooLarge: 413,
    e.RequestTimeout: 408,
    e.ValidationFailed: 422,
    e.NotFound: 404,
    e.FhirServerError: 502,
    e.ServerNotFound: 404,
    e.ServerGone: 410,
    e.ServerRejected: 422,
    e.VersionConflict: 409,
    e.AmbiguousMatch: 409,
    e.ResourceConflict: 409,
    e.ServerUnavailable: 503,
    e.DatabaseUnavailable: 503,
    e.StaleDecision: 409,
}


def status(error: e.OnePlanError) -> int:
    return next(STATUS[cls] for cls in type(error).__mro__ if cls in STATUS)
