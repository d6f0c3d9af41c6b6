//! Inbound POS webhooks: `POST /webhooks/{pos,iiko,rkeeper}/{integrationId}`.
//! Verify → parse → store the event with its processing job in one
//! transaction → answer within milliseconds; a worker does the accrual.

use std::sync::Arc;

use domain::IntegrationId;
use domain::integrations::service::{Answer, MAX_BODY_BYTES};
use domain::integrations::{IntegrationService, ReceiveError};
use poem::http::StatusCode;
use poem::web::{Json, Path};
use poem::{Body, IntoResponse, Request, Response, handler};
use serde_json::json;

fn answer(r: Result<Answer, ReceiveError>) -> Response {
    match r {
        Ok(a) => {
            let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::OK);
            Json(a.body).with_status(status).into_response()
        }
        Err(e) => {
            let (status, code) = match &e {
                ReceiveError::UnknownIntegration => (StatusCode::NOT_FOUND, "NOT_FOUND"),
                ReceiveError::Disabled => (StatusCode::FORBIDDEN, "DISABLED"),
                ReceiveError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"),
                ReceiveError::Malformed(_) => (StatusCode::BAD_REQUEST, "MALFORMED"),
                ReceiveError::Conflict => (StatusCode::CONFLICT, "CONFLICT"),
                ReceiveError::Refused(_) => (StatusCode::UNPROCESSABLE_ENTITY, "REFUSED"),
                ReceiveError::Internal(m) => {
                    tracing::error!(error = %m, "inbound webhook failed");
                    (StatusCode::SERVICE_UNAVAILABLE, "INTERNAL")
                }
            };
            let message = match &e {
                ReceiveError::Internal(_) => "try again later".to_owned(),
                other => other.to_string(),
            };
            Json(json!({ "error": { "code": code, "message": message } }))
                .with_status(status)
                .into_response()
        }
    }
}

enum Door {
    Pos,
    Iiko,
    RKeeper,
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    Json(json!({ "error": { "code": code, "message": message } }))
        .with_status(status)
        .into_response()
}

/// Wakes the in-process job worker after a delivery is stored, so its job
/// starts now rather than at the worker's next poll.
#[derive(Clone)]
pub struct Wake(pub Option<infra::jobs::WorkerWaker>);

async fn receive(
    door: Door,
    id: &str,
    header: Option<&str>,
    body: Body,
    svc: &IntegrationService,
    wake: &Wake,
) -> Response {
    let Ok(id) = id.parse::<IntegrationId>() else {
        return answer(Err(ReceiveError::UnknownIntegration));
    };
    let bytes = match body.into_bytes_limit(MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(poem::error::ReadBodyError::PayloadTooLarge) => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "TOO_LARGE",
                &format!("the body is larger than {MAX_BODY_BYTES} bytes"),
            );
        }
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "MALFORMED",
                "the body could not be read",
            );
        }
    };
    let received = match door {
        Door::Pos => svc.receive_pos(id, header, &bytes).await,
        Door::Iiko => svc.receive_iiko(id, header, &bytes).await,
        Door::RKeeper => svc.receive_rkeeper(id, header, &bytes).await,
    };
    if received.is_ok()
        && let Some(w) = &wake.0
    {
        w.wake();
    }
    answer(received)
}

/// Our canonical format.
#[handler]
pub async fn pos(
    req: &Request,
    Path(id): Path<String>,
    body: Body,
    svc: poem::web::Data<&Arc<IntegrationService>>,
    wake: poem::web::Data<&Wake>,
) -> Response {
    receive(Door::Pos, &id, req.header("x-signature"), body, &svc, &wake).await
}

/// iikoCloud webhooks.
#[handler]
pub async fn iiko(
    req: &Request,
    Path(id): Path<String>,
    body: Body,
    svc: poem::web::Data<&Arc<IntegrationService>>,
    wake: poem::web::Data<&Wake>,
) -> Response {
    receive(
        Door::Iiko,
        &id,
        req.header("authorization"),
        body,
        &svc,
        &wake,
    )
    .await
}

/// The r_keeper FarCards relay.
#[handler]
pub async fn rkeeper(
    req: &Request,
    Path(id): Path<String>,
    body: Body,
    svc: poem::web::Data<&Arc<IntegrationService>>,
    wake: poem::web::Data<&Wake>,
) -> Response {
    receive(
        Door::RKeeper,
        &id,
        req.header("x-signature"),
        body,
        &svc,
        &wake,
    )
    .await
}
