package org.recofilms.bare;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** The bare app's one endpoint: its first 200 is the end of its start. */
@Path("/hello")
public class HelloResource {

    @GET
    public String hello() {
        return "hello";
    }
}
