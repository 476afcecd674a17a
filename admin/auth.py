"""Sign-in and sign-out (Flask-Login, a Flask-WTF form with CSRF), throttled per account and address."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from app.extensions import db
from app.models import User
from app.services import login_throttle

from .security import LoginUser

bp = Blueprint("auth", __name__, template_folder="templates")

THROTTLED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Nhập tên đăng nhập."), Length(max=64)])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Nhập mật khẩu."), Length(max=256)])


def _safe_next(target: str | None) -> str:
    """Only a local path (never another site) after signing in."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("admin.index")


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        address = request.remote_addr or "?"
        if login_throttle.blocked(username, address):
            flash(THROTTLED, "error")
            return render_template("auth/login.html", form=form), 429
        user = db.session.scalar(db.select(User).where(User.username == username))
        if user is None or not user.active or not user.check_password(form.password.data):
            login_throttle.record_failure(username, address)
            db.session.commit()
            flash(WRONG, "error")
            return render_template("auth/login.html", form=form), 401
        login_throttle.clear(username)
        db.session.commit()
        session.clear()  # no session fixation: a fresh session for the signed-in user
        session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
        login_user(LoginUser(user))
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    flash("Đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/")
def root():
    return redirect(url_for("admin.index"))
