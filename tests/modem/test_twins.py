"""twin(): an unfrozen builder that yields genuine instances of a frozen slotted dataclass."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from modem import events, urc
from modem.twins import twin


def _frozen_classes():
    for module in (events, urc):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__ and dataclasses.fields(cls):
                yield cls


def _sample(cls):
    # Distinct values per field, so a swapped slot would show.
    return [f"v{i}" for i, _ in enumerate(dataclasses.fields(cls))]


@pytest.mark.parametrize("cls", list(_frozen_classes()), ids=lambda cls: cls.__name__)
def test_a_twin_built_instance_is_the_public_class(cls):
    values = _sample(cls)
    built = twin(cls)(*values)
    assert type(built) is not cls  # until its class is assigned
    built.__class__ = cls
    plain = cls(*values)
    assert type(built) is cls and built == plain and hash(built) == hash(plain) and repr(built) == repr(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, dataclasses.fields(cls)[0].name, "changed")


def test_defaults_are_the_public_class_defaults():
    built = twin(events.RegistrationChanged)("home")
    built.__class__ = events.RegistrationChanged
    assert built == events.RegistrationChanged("home")


def test_a_default_factory_is_refused():
    @dataclasses.dataclass(frozen=True, slots=True)
    class Basket:
        items: list = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError):
        twin(Basket)
