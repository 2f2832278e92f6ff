//! Paged endpoints: [`Paged`], implemented by generated code, and [`Pages`], which walks them.

use super::super::{Endpoint, Validate};
use super::error::ClientError;
use super::{Api, Client};

/// Paged endpoints: how to ask for a page and read it. Implemented by generated code.
pub trait Paged:
    Endpoint<Response: super::drift::Observe> + serde::Serialize + Validate + Clone
{
    /// What a page holds.
    type Item;
    /// The largest page size the server accepts, if the spec says.
    const MAX_PAGE_SIZE: Option<i64>;
    /// The page number asked for, if set.
    fn page(&self) -> Option<i64>;
    /// The page size asked for, if set.
    fn page_size(&self) -> Option<i64>;
    /// Asks for `page` of `page_size` items.
    fn set_page(&mut self, page: i64, page_size: i64);
    /// The reply's total item count and its items.
    fn into_page(response: Self::Response) -> (Option<i64>, Vec<Self::Item>);
}

/// Pages of a paged endpoint; see [`Client::pages`].
#[derive(Debug)]
pub struct Pages<A, R> {
    pub(super) client: Client<A>,
    pub(super) request: R,
    pub(super) next_page: Option<i64>,
    pub(super) fetched: i64,
    pub(super) done: bool,
}

impl<A: Api, R: Paged> Pages<A, R> {
    /// The next page's items, or `None` after the last page.
    pub async fn next(&mut self) -> Option<Result<Vec<R::Item>, ClientError<A::ErrorCode>>> {
        if self.done {
            return None;
        }
        let page = self.next_page.or(self.request.page()).unwrap_or(1).max(1);
        let page_size = self
            .request
            .page_size()
            .or(R::MAX_PAGE_SIZE)
            .unwrap_or(100)
            .max(1);
        self.request.set_page(page, page_size);
        let (total, items) = match self.client.call(&self.request).await {
            Ok(response) => R::into_page(response),
            Err(error) => return Some(Err(error)),
        };
        self.fetched += items.len() as i64;
        self.next_page = Some(page + 1);
        let seen = page.saturating_mul(page_size);
        self.done = items.is_empty() || total.is_none_or(|total| seen >= total);
        Some(Ok(items))
    }

    /// Every item of every remaining page, in order.
    pub async fn collect_all(mut self) -> Result<Vec<R::Item>, ClientError<A::ErrorCode>> {
        let mut all = Vec::new();
        while let Some(page) = self.next().await {
            all.extend(page?);
        }
        Ok(all)
    }
}
