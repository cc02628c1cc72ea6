//! Reading campaign logs (native CSV, GoPhish Raw Events, Apache/nginx access
//! logs) into a [`Campaign`](crate::model::Campaign).
