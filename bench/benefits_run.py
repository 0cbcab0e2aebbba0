"""A proactive monthly run of 高龄津贴 over everyone aged 80+ of the Yinchuan demo at scale 1.0, and the
payment file of its batch; the baseline is reading the same people and their IDs with no rules."""

from __future__ import annotations

import argparse
import time

from common import add_load_option, conditions, database, headroom, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    add_load_option(parser)
    args = parser.parse_args()
    with database(args.db, "city.sqlite3") as url:
        setup_django(url)
        from django.core.management import call_command

        from laoxiao.accounts.models import User
        from laoxiao.accounts.roles import Role
        from laoxiao.accounts.services import user_create
        from laoxiao.benefits import services
        from laoxiao.benefits.models import Payment, PaymentBatch, Programme
        from laoxiao.core.identifiers import birth_date_cutoff
        from laoxiao.core.models import Area
        from laoxiao.core.personal import unsealed
        from laoxiao.people.models import Person

        if not Person.objects.exists():
            call_command("demo-data", scale=1.0, seed=1, verbosity=0)
        services.programmes_sync()
        allowance = Programme.objects.get(code="advanced-age-allowance")
        city = Area.objects.get(code="640100000000")

        def officer(name: str) -> User:
            return User.objects.filter(username=name).first() or user_create(
                username=name, password="bench-password-1", role=Role.CIVIL_AFFAIRS, area=city
            )

        maker, checker = officer("bench-maker"), officer("bench-checker")
        period = "2026-11"
        runs = {}
        for condition, load in conditions(args):
            Payment.history.filter(programme_id=allowance.pk).delete()
            Payment.objects.filter(programme=allowance).delete()
            PaymentBatch.objects.filter(programme=allowance).delete()
            with load:
                started = time.perf_counter()
                batch = services.proactive_run(by=maker, programme=allowance, area=city, period=period)
                run = time.perf_counter() - started
                services.batch_approve(by=checker, batch=batch)
                started = time.perf_counter()
                content = b"".join(services.payment_file(by=checker, batch=batch))
                file_time = time.perf_counter() - started
                started = time.perf_counter()
                aged = Person.objects.filter(
                    area_id__gte="640100000000",
                    area_id__lte="640199999999",
                    status="active",
                    birth_date__lte=birth_date_cutoff(80, services.period_end(period)),
                )
                plain = [unsealed(p, "id_number") for p in aged.only("id", "id_number_cipher")]
                baseline = time.perf_counter() - started
            runs[condition] = {"proactive run": [run * 1000], "payment file": [file_time * 1000]}
            n = batch.payments.count()
            print(f"== {condition}")
            print(f"database: {args.db}; people aged 80+ paid: {n} (baseline read {len(plain)})")
            print(f"proactive run of 高龄津贴 (facts, rules, batch, audited payments): {run:6.2f} s  (goal < 10 s)")
            print(f"payment file ({len(content) / 1e6:.1f} MB):{'':30}{file_time:6.2f} s  (goal < 5 s)")
            print(f"baseline: read the same people and decrypt their IDs:               {baseline:6.2f} s")
            print(f"ratios to the baseline: run {run / baseline:.1f}, file {file_time / baseline:.1f}")
        headroom(runs)


if __name__ == "__main__":
    main()
