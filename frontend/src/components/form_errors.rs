//! A refused form: the API's message above the button and each field's message under its field,
//! already in the user's language.

use leptos::prelude::*;
use shared::ApiError;

/// The last error of a form, if any.
#[derive(Clone, Copy)]
pub struct FormError(pub RwSignal<Option<ApiError>>);

impl FormError {
    pub fn new() -> FormError {
        FormError(RwSignal::new(None))
    }

    pub fn set(&self, error: ApiError) {
        self.0.set(Some(error));
    }

    pub fn clear(&self) {
        self.0.set(None);
    }

    /// A field error found before asking the server (e.g. a number that is not one).
    pub fn local(&self, field: &str, message: &str) {
        let mut error = ApiError::new("validation", message);
        error.fields.insert(field.to_string(), message.to_string());
        self.set(error);
    }
}

impl Default for FormError {
    fn default() -> Self {
        FormError::new()
    }
}

/// The message for one field, under it.
#[component]
pub fn FieldError(error: FormError, field: &'static str) -> impl IntoView {
    move || {
        error.0.get().and_then(|e| e.fields.get(field).cloned()).map(|message| {
            view! { <p class="field-error" role="alert" data-testid=format!("error-{field}")>{message}</p> }
        })
    }
}

/// The form's overall message.
#[component]
pub fn FormAlert(error: FormError) -> impl IntoView {
    move || error.0.get().map(|e| view! { <p class="alert" role="alert" data-testid="form-error">{e.message}</p> })
}
