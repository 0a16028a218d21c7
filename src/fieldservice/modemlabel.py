"""The label stuck on a new broadband modem (L1): account, user name and initial password.

The password is a :class:`~fieldservice.model.Secret`, masked everywhere
unless asked for (G1).

>>> from fieldservice.modemlabel import ModemLabel
>>> ModemLabel("AD0001", "ad0001@bb", "k3y-9Q")
ModemLabel(account='AD0001', user_name='ad0001@bb', password=Secret('******'))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from fieldservice import _jsondata, _validate
from fieldservice.errors import InvalidInput
from fieldservice.model import Secret

__all__ = [
    "ModemLabel",
]


def _account(value: object) -> str:
    return _jsondata.text("broadband account", value, max_length=64)


def _user_name(value: object) -> str:
    return _jsondata.text("user name", value, max_length=64)


def _shown(value: object) -> str:
    # An operator may number accounts by the customer's phone ("02187654321",
    # "13800138000@163.gd"), written any way ("AD 139 1234 5678", "(138)0013-8000"):
    # such text is not shown in a repr (G1). Account and user name are free text, so
    # they are judged as free text is (holds_phone), and as an ID is (nine digits).
    return _validate.STAFF_ID_NOT_SHOWN if _validate.hides_text(str(value)) else repr(value)


@attrs.frozen
class ModemLabel:
    """The label stuck on a new broadband modem (L1): account, user name, initial password.

    The password is a :class:`~fieldservice.model.Secret`: masked in ``repr``, ``str``, errors and
    :meth:`to_dict` unless ``include_personal=True`` is asked for (G1). An account or user
    name that may hold a phone number, however its digits are grouped (``AD 139 1234 5678``,
    ``138/0013/8000@bb``, ``+86 139 1234 5678``), is not shown in ``repr`` or ``str``
    either; :meth:`to_dict` writes both, for the systems that read them.

    Args:
        account: The broadband account number (宽带编号).
        user_name: The user name for going online (上网用户名).
        password: The initial password (初始密码): text or a :class:`~fieldservice.model.Secret`.

    Raises:
        InvalidInput: A field is empty, too long or not text.

    >>> label = ModemLabel("AD0001", "ad0001@bb", "k3y-9Q")
    >>> label
    ModemLabel(account='AD0001', user_name='ad0001@bb', password=Secret('******'))
    >>> label.to_dict()
    {'account': 'AD0001', 'user_name': 'ad0001@bb', 'password': None}
    >>> ModemLabel.from_dict(label.to_dict(include_personal=True)) == label
    True
    >>> ModemLabel("02187654321", "13800138000@163.gd", "k3y-9Q")  # a phone as the account
    ModemLabel(account=(an ID not shown), user_name=(an ID not shown), password=Secret('******'))
    >>> ModemLabel("AD 139 1234 5678", "(138)0013-8000@bb", "k3y-9Q")
    ModemLabel(account=(an ID not shown), user_name=(an ID not shown), password=Secret('******'))

    .. versionadded:: 0.1.0
    """

    account: str = attrs.field(converter=_account, repr=_shown)
    user_name: str = attrs.field(converter=_user_name, repr=_shown)
    password: Secret = attrs.field(converter=_jsondata.to_secret)

    def to_dict(
        self, *, include_personal: bool = False, include_secret: bool | None = None
    ) -> dict[str, Any]:
        """Return the label as JSON-ready data; the password is ``None`` unless asked for.

        Args:
            include_personal: Write the password in clear. Only for storage that
                must restore the label, never for display or logs.
            include_secret: The old spelling of ``include_personal``: deprecated.

        >>> ModemLabel("AD0001", "u1", "pw-1").to_dict(include_personal=True)["password"]
        'pw-1'
        """
        return self.data_as(_jsondata.form_of(include_personal, include_secret))

    def data_as(self, form: _jsondata.Form) -> dict[str, Any]:
        """The label as JSON-ready data written in that form.

        :meta private:
        """
        return {
            "account": self.account,
            "user_name": self.user_name,
            **_jsondata.PASSWORD_WRITERS[form.secrets](self.password),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> ModemLabel:
        """Rebuild a label from ``to_dict(include_personal=True)`` output.

        A masked export (``password`` is ``None``) cannot be restored: the
        password is not in it, and a label without one would not be a label.

        Raises:
            InvalidInput: A key is missing, a value is wrong, or the password
                was masked.

        >>> ModemLabel.from_dict(ModemLabel("AD0001", "u1", "pw-1").to_dict())
        Traceback (most recent call last):
        ...
        fieldservice.errors.InvalidInput: the modem label's password was masked ...
        """
        data = _jsondata.json_object(value, "modem label", ("account", "user_name", "password"))
        if data["password"] is None:
            msg = (
                "the modem label's password was masked in this export; "
                "restore from to_dict(include_personal=True) output"
            )
            raise InvalidInput(msg)
        return cls(data["account"], data["user_name"], data["password"])
