use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(crate = wecard_derive_ui::wecard)]
struct Student(String, String);

fn main() {}
